-- Neovim with editors/neovim installed as a user would (test/init.lua), editing .cruddur
-- files: the filetype, its settings and syntax, the server started at the right root with one
-- client per root, the server's diagnostics, and the server's exit status 0 after Neovim's
-- shutdown. Prints one line per check and exits with 0 only if all pass. Run by run.sh,
-- which passes:
--   CRUDDUR_TEST     `editing` (the default); `missing`: the server is not executable; `bare`:
--                    no setup(), only ftdetect/ and, on 0.11+, lsp/cruddur.lua enabled
--   CRUDDUR_SINGLE   a .cruddur file outside any project, with an E0103 mistake
--   CRUDDUR_PROJECT  a folder with cruddur.toml, pipelines/app.cruddur (an E0103 mistake, and
--                    a reference to a project defined in builds/tests.cruddur: E0202 unless
--                    the server reads the whole project) and builds/tests.cruddur
--   CRUDDUR_API      `start`: setup() uses vim.lsp.start (0.8–0.10's way) where vim.lsp.config
--                    is present too (skipped where vim.lsp.start is missing)
--   CRUDDUR_TIMEOUT  seconds to wait for the server, each time (default 10)

local T = assert(_G.cruddur_test, 'test/init.lua was not loaded')
local timeout = 1000 * tonumber(os.getenv('CRUDDUR_TIMEOUT') or '10')
local failures = 0

local function out(line)
  io.stdout:write(line, '\n')
  io.stdout:flush()
end

local function check(ok, what)
  out((ok and 'ok   ' or 'FAIL ') .. what)
  if not ok then
    failures = failures + 1
  end
  return ok
end

local function open(path)
  vim.cmd('edit ' .. vim.fn.fnameescape(path))
  return vim.api.nvim_get_current_buf()
end

-- The cruddur clients attached to a buffer (0.10+ get_clients, 0.7 buf_get_clients).
local function clients_of(buf)
  local found = {}
  if vim.lsp.get_clients then
    found = vim.lsp.get_clients({ bufnr = buf, name = 'cruddur' })
  else
    for _, client in pairs(vim.lsp.buf_get_clients(buf)) do
      if client.name == 'cruddur' then
        table.insert(found, client)
      end
    end
  end
  return found
end

-- The buffer's one client, once attached (0.11 starts it on the next event-loop turn).
local function client_of(buf)
  vim.wait(timeout, function()
    return #clients_of(buf) > 0
  end, 10)
  local clients = clients_of(buf)
  check(#clients == 1, string.format('one cruddur client attached (%d)', #clients))
  return clients[1]
end

-- Waits for the buffer's diagnostics, prints them and returns their codes.
local function diagnostics_of(buf)
  local arrived = vim.wait(timeout, function()
    return #vim.diagnostic.get(buf) > 0
  end, 10)
  local codes = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    local first_line = vim.split(d.message, '\n', { plain = true })[1]
    -- Lines and columns counted from 1, as the editor shows them.
    out(string.format('     %s %d:%d %s', tostring(d.code), d.lnum + 1, d.col + 1, first_line))
    codes[tostring(d.code)] = true
  end
  check(arrived, string.format('diagnostics within %d ms', timeout))
  return codes
end

local function name_of(path)
  return vim.fn.fnamemodify(path, ':t')
end

local function editing()
  local single = assert(os.getenv('CRUDDUR_SINGLE'), 'CRUDDUR_SINGLE is not set')
  local project = assert(os.getenv('CRUDDUR_PROJECT'), 'CRUDDUR_PROJECT is not set')
  local single_dir = vim.fn.fnamemodify(single, ':h')

  -- A file on its own: the root is its folder.
  out(name_of(single) .. ' (no cruddur.toml above it)')
  local buf = open(single)
  check(vim.bo[buf].filetype == 'cruddur', 'filetype cruddur (' .. vim.bo[buf].filetype .. ')')
  check(vim.bo[buf].commentstring == '// %s', 'commentstring // %s (' .. vim.bo[buf].commentstring .. ')')
  check(vim.b[buf].current_syntax == 'cruddur', 'syntax/cruddur.vim loaded')
  local first = client_of(buf)
  if first then
    check(first.config.root_dir == single_dir, 'root is the file\'s folder (' .. tostring(first.config.root_dir) .. ')')
  end
  local codes = diagnostics_of(buf)
  check(codes['E0103'], 'E0103 among them')

  -- A project: the root is the folder with cruddur.toml, so the server reads the other file
  -- of the program and the reference to its project resolves (no E0202).
  local app = project .. '/pipelines/app.cruddur'
  out('pipelines/' .. name_of(app) .. ' (in a project)')
  buf = open(app)
  check(vim.bo[buf].filetype == 'cruddur', 'filetype cruddur (' .. vim.bo[buf].filetype .. ')')
  local second = client_of(buf)
  if second then
    check(second.config.root_dir == project, 'root is the folder with cruddur.toml (' .. tostring(second.config.root_dir) .. ')')
    check(first == nil or second.id ~= first.id, 'a client of its own for the project')
  end
  codes = diagnostics_of(buf)
  check(codes['E0103'], 'E0103 among them')
  check(not codes['E0202'], 'no E0202: the project defined in builds/tests.cruddur is found')

  local tests = project .. '/builds/tests.cruddur'
  out('builds/' .. name_of(tests) .. ' (the same project)')
  buf = open(tests)
  local third = client_of(buf)
  if third and second then
    check(third.id == second.id, 'the project\'s client is reused')
  end
end

-- The server is not executable: a clear error, and no client.
local function missing()
  local single = assert(os.getenv('CRUDDUR_SINGLE'), 'CRUDDUR_SINGLE is not set')
  out(name_of(single) .. ' (the server is not executable)')
  local buf = open(single)
  check(vim.bo[buf].filetype == 'cruddur', 'filetype cruddur (' .. vim.bo[buf].filetype .. ')')
  vim.wait(300, function()
    return #T.notes > 0
  end, 10)
  local said = nil
  for _, note in ipairs(T.notes) do
    if note.level == vim.log.levels.ERROR and note.message:find('cargo install --path lsp', 1, true) then
      said = note.message
    end
  end
  check(said ~= nil, 'an error saying how to install the server')
  if said then
    out('     ' .. said)
  end
  check(#clients_of(buf) == 0, 'no client attached')
end

-- Without setup(): ftdetect/cruddur.lua detects the filetype; on 0.11+ vim.lsp.enable('cruddur')
-- with lsp/cruddur.lua from the runtimepath starts the server, at the project's root for a
-- project's file and with no root for a file on its own.
local function bare()
  local single = assert(os.getenv('CRUDDUR_SINGLE'), 'CRUDDUR_SINGLE is not set')
  local project = assert(os.getenv('CRUDDUR_PROJECT'), 'CRUDDUR_PROJECT is not set')
  out(name_of(single) .. ' (no setup())')
  local buf = open(single)
  check(vim.bo[buf].filetype == 'cruddur', 'filetype cruddur from ftdetect/ (' .. vim.bo[buf].filetype .. ')')
  check(vim.bo[buf].commentstring == '// %s', 'commentstring // %s (' .. vim.bo[buf].commentstring .. ')')
  if not (vim.lsp.config and vim.lsp.enable) then
    out('     (no vim.lsp.config on this Neovim: lsp/cruddur.lua not tried)')
    return
  end
  local first = client_of(buf)
  if first then
    check(first.config.root_dir == nil, 'no root (' .. tostring(first.config.root_dir) .. ')')
  end
  local codes = diagnostics_of(buf)
  check(codes['E0103'], 'E0103 among them')

  local app = project .. '/pipelines/app.cruddur'
  out('pipelines/' .. name_of(app) .. ' (no setup())')
  buf = open(app)
  local second = client_of(buf)
  if second then
    check(second.config.root_dir == project, 'root is the folder with cruddur.toml (' .. tostring(second.config.root_dir) .. ')')
  end
  codes = diagnostics_of(buf)
  check(codes['E0103'] and not codes['E0202'], 'E0103 and no E0202 among them')
end

-- Neovim's shutdown of every client: `shutdown`, then `exit`; each server must end with 0.
local function stop_all()
  local ids = {}
  for _, client in ipairs(vim.lsp.get_clients and vim.lsp.get_clients() or vim.lsp.get_active_clients()) do
    table.insert(ids, client.id)
    vim.lsp.stop_client(client.id)
  end
  if #ids == 0 then
    return
  end
  vim.wait(5000, function()
    for _, id in ipairs(ids) do
      if not T.exits[id] then
        return false
      end
    end
    return true
  end, 10)
  for _, id in ipairs(ids) do
    local exit = T.exits[id]
    if not exit then
      check(false, string.format('client %d: the server exits within 5 s of shutdown', id))
    else
      check(exit.code == 0, string.format('client %d: the server exits with status 0 after shutdown (%s)', id, exit.code))
    end
  end
end

local function main()
  local v = vim.version()
  local api = require('cruddur').api()
  local case = os.getenv('CRUDDUR_TEST') or 'editing'
  local wanted = os.getenv('CRUDDUR_API')
  local apis = { config = 'vim.lsp.config/vim.lsp.enable', start = 'vim.lsp.start', start_client = 'vim.lsp.start_client' }
  out(string.format('Neovim %d.%d.%d, %s: %s', v.major, v.minor, v.patch, case, case == 'bare' and 'no setup()' or apis[api]))
  if wanted and wanted ~= '' and wanted ~= api then
    out('     skipped: this Neovim has no ' .. apis[wanted])
    return
  end
  if case == 'missing' then
    missing()
  elseif case == 'bare' then
    bare()
  else
    editing()
  end
  stop_all()
end

local ok, err = pcall(main)
if not ok then
  out('FAIL ' .. tostring(err))
  vim.cmd('cquit 2')
elseif failures > 0 then
  out(string.format('%d check(s) failed', failures))
  vim.cmd('cquit 1')
else
  vim.cmd('qall!')
end
