-- The cruddur language server for Neovim 0.11+, found on the runtimepath by
-- `vim.lsp.enable('cruddur')`. require('cruddur').setup() uses it too, and adds the file's own
-- folder as the root of a file outside any project (here such a file gets no root).
return {
  cmd = { 'cruddur-lsp' },
  filetypes = { 'cruddur' },
  root_markers = { 'cruddur.toml' },
}
