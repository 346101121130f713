-- The test's user configuration, as a user's init.lua would have it: the plugin on the
-- runtimepath and setup() with the server's path (or, with CRUDDUR_TEST=bare, no setup():
-- ftdetect/ alone, and on 0.11+ lsp/cruddur.lua with vim.lsp.enable()). Besides that, it
-- records what the test looks at: the servers' exits and the messages of vim.notify().
--   CRUDDUR_PLUGIN  editors/neovim of this checkout
--   CRUDDUR_LSP     the server binary
_G.cruddur_test = { exits = {}, notes = {} }

vim.notify = function(message, level)
  table.insert(_G.cruddur_test.notes, { message = message, level = level })
end

vim.opt.runtimepath:prepend((assert(os.getenv('CRUDDUR_PLUGIN'), 'CRUDDUR_PLUGIN is not set')))

local server = (assert(os.getenv('CRUDDUR_LSP'), 'CRUDDUR_LSP is not set'))
local function on_exit(code, signal, client_id)
  _G.cruddur_test.exits[client_id] = { code = code, signal = signal }
end

if os.getenv('CRUDDUR_TEST') == 'bare' then
  if vim.lsp.config and vim.lsp.enable then
    vim.lsp.config('cruddur', { cmd = { server }, on_exit = on_exit })
    vim.lsp.enable('cruddur')
  end
  return
end

-- CRUDDUR_API=start or start_client: the client API of older versions, on a newer Neovim.
require('cruddur').setup({ cmd = { server }, on_exit = on_exit, _api = os.getenv('CRUDDUR_API') })
