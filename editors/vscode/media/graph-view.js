// The pipeline graph webview: renders the Mermaid text the extension posts. Runs in the
// webview, with the Mermaid library loaded before it.
(function () {
  const vscode = acquireVsCodeApi();
  const graph = document.getElementById('graph');
  const note = document.getElementById('note');
  const copy = document.getElementById('copy');
  let source = '';
  let count = 0;

  const dark = document.body.classList.contains('vscode-dark') || document.body.classList.contains('vscode-high-contrast');
  mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: dark ? 'dark' : 'default', flowchart: { htmlLabels: true } });

  copy.addEventListener('click', () => vscode.postMessage({ copy: source }));

  window.addEventListener('message', async (event) => {
    const message = event.data;
    if (typeof message.mermaid === 'string') {
      if (message.mermaid === source) {
        note.textContent = message.title;
        note.className = '';
        return;
      }
      try {
        count += 1;
        const { svg } = await mermaid.render('pipeline-graph-' + count, message.mermaid);
        graph.innerHTML = svg;
        source = message.mermaid;
        copy.disabled = false;
        note.textContent = message.title;
        note.className = '';
      } catch (error) {
        note.textContent = 'Mermaid could not draw this graph: ' + error;
        note.className = 'stale';
      }
    } else if (typeof message.note === 'string') {
      // With errors, the last graph drawn stays, marked as out of date.
      note.textContent = message.note;
      note.className = message.keep && source ? 'stale' : '';
      if (!message.keep) {
        graph.innerHTML = '';
        source = '';
        copy.disabled = true;
      }
    }
  });
  vscode.postMessage({ ready: true });
})();
