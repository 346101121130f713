-- Neovim's own LSP client (0.7 API) against cruddur-lsp: open a file with a mistake, wait for
-- the server's diagnostics, print them, and exit with 0 only if the expected code is among
-- them and the server then shuts down with status 0. Run by run.sh, which passes:
--   CRUDDUR_LSP     the server binary
--   CRUDDUR_FILE    the .cruddur file to open
--   CRUDDUR_EXPECT  the diagnostic code that must be published for it (e.g. E0103)
--   CRUDDUR_TIMEOUT seconds to wait for diagnostics (default 20)

local function out(line)
  io.stdout:write(line, '\n')
  io.stdout:flush()
end

local function quit(status)
  if status == 0 then
    vim.cmd('qall!')
  else
    vim.cmd('cquit ' .. status)
  end
end

local function main()
  local server = assert(os.getenv('CRUDDUR_LSP'), 'CRUDDUR_LSP is not set')
  local file = assert(os.getenv('CRUDDUR_FILE'), 'CRUDDUR_FILE is not set')
  local expect = assert(os.getenv('CRUDDUR_EXPECT'), 'CRUDDUR_EXPECT is not set')
  local timeout = 1000 * tonumber(os.getenv('CRUDDUR_TIMEOUT') or '20')

  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local buf = vim.api.nvim_get_current_buf()
  -- 0.7 has no filetype for .cruddur; the client sends it as the document's languageId.
  vim.bo[buf].filetype = 'cruddur'

  local exited = nil
  local client_id = vim.lsp.start_client({
    name = 'cruddur',
    cmd = { server },
    root_dir = vim.fn.fnamemodify(file, ':p:h'),
    on_exit = function(code, signal)
      exited = { code = code, signal = signal }
    end,
  })
  if not client_id then
    out('FAIL: could not start ' .. server)
    return 1
  end
  if not vim.lsp.buf_attach_client(buf, client_id) then
    out('FAIL: could not attach the client to the buffer')
    return 1
  end

  local arrived = vim.wait(timeout, function()
    return #vim.diagnostic.get(buf) > 0 or exited ~= nil
  end, 20)
  local diagnostics = vim.diagnostic.get(buf)
  local client = vim.lsp.get_client_by_id(client_id)
  out(string.format('%d diagnostic(s) for %s', #diagnostics, vim.fn.fnamemodify(file, ':t')))
  local found = false
  for _, d in ipairs(diagnostics) do
    local first_line = vim.split(d.message, '\n', { plain = true })[1]
    -- Lines and columns counted from 1, as the editor shows them.
    out(string.format('%s %d:%d %s', tostring(d.code), d.lnum + 1, d.col + 1, first_line))
    if d.code == expect then
      found = true
    end
  end

  local status = 0
  if exited then
    out(string.format('FAIL: the server exited early (status %s, signal %s)', exited.code, exited.signal))
    status = 1
  elseif not arrived then
    out(string.format('FAIL: no diagnostics within %d ms', timeout))
    status = 1
  elseif not found then
    out('FAIL: no ' .. expect .. ' among them')
    status = 1
  end

  -- Neovim's shutdown: `shutdown`, then `exit`; the server must end with status 0.
  if client then
    client.stop()
    vim.wait(5000, function()
      return exited ~= nil
    end, 20)
    if not exited then
      out('FAIL: the server did not exit within 5 s of shutdown')
      status = 1
    elseif exited.code ~= 0 then
      out(string.format('FAIL: the server exited with status %s after shutdown', exited.code))
      status = 1
    else
      out('server exited with status 0 after shutdown')
    end
  end
  return status
end

local ok, result = pcall(main)
if not ok then
  out('FAIL: ' .. tostring(result))
  quit(2)
else
  if result == 0 then
    out('OK')
  end
  quit(result)
end
