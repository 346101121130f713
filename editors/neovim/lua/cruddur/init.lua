-- cruddur for Neovim: the `cruddur` filetype for `*.cruddur` files and the `cruddur-lsp`
-- language server for them.
--
--   require('cruddur').setup()                                  -- cruddur-lsp from PATH
--   require('cruddur').setup({ cmd = { '/path/to/cruddur-lsp' } })
--
-- The server is started for each project: the nearest folder above the file that holds a
-- `cruddur.toml` (all `.cruddur` files below it are one program), else the file's own folder.
-- One client serves each such root. Which client API is used depends on the Neovim version,
-- found by feature detection:
--   0.11+     vim.lsp.config('cruddur', …) and vim.lsp.enable('cruddur')
--   0.8–0.10  vim.lsp.start() from a FileType autocmd (reuses the client with the same root)
--   0.7       vim.lsp.start_client() and vim.lsp.buf_attach_client(), one client per root

local M = {}

local uv = vim.uv or vim.loop

local defaults = {
  -- The server's command line; a string is taken as the program alone.
  cmd = { 'cruddur-lsp' },
  -- Files whose folder is a project root.
  root_markers = { 'cruddur.toml' },
  -- root_dir = function(path) … end: the root for a file (a folder, or nil for none), instead
  -- of the nearest folder with a root marker, else the file's folder.
}

-- `cmd`, `root_markers` and `root_dir` are this plugin's; every other option is passed to the
-- client configuration as it is (see `:help vim.lsp.start_client()`, or
-- `vim.lsp.ClientConfig` on 0.10+): on_attach, capabilities, init_options, settings, …
M.options = vim.deepcopy(defaults)

local INSTALL_HINT = 'install it from a clone of the cruddur repository with '
  .. '`cargo install --path lsp` (into ~/.cargo/bin, which must be on PATH), '
  .. "or name it: require('cruddur').setup({ cmd = { '/path/to/cruddur-lsp' } })"

local filetype_registered = false

--- Detects the `cruddur` filetype for `*.cruddur` files. Called by ftdetect/cruddur.lua and by
--- setup(); only the first call does anything.
function M.register_filetype()
  if filetype_registered then
    return
  end
  filetype_registered = true
  if vim.fn.has('nvim-0.8') == 1 then
    vim.filetype.add({ extension = { cruddur = 'cruddur' } })
  else
    -- 0.7 detects filetypes with filetype.vim, which vim.filetype.add() does not feed.
    vim.api.nvim_create_autocmd({ 'BufRead', 'BufNewFile' }, {
      group = vim.api.nvim_create_augroup('cruddur_filetype', { clear = true }),
      pattern = '*.cruddur',
      command = 'setfiletype cruddur',
    })
  end
end

--- The root for a file: the nearest folder above it holding one of `root_markers`, else the
--- file's own folder; nil for a buffer without a file name. The server reads every `.cruddur`
--- file below the root.
function M.default_root_dir(path)
  if path == nil or path == '' then
    return nil
  end
  local dir = vim.fn.fnamemodify(vim.fn.fnamemodify(path, ':p'), ':h')
  local current = dir
  while true do
    for _, marker in ipairs(M.options.root_markers) do
      local candidate = (current:sub(-1) == '/' and current or current .. '/') .. marker
      if uv.fs_stat(candidate) then
        return current
      end
    end
    local parent = vim.fn.fnamemodify(current, ':h')
    if parent == current then
      return dir
    end
    current = parent
  end
end

--- The root for a file: the `root_dir` option's answer, else the default one.
function M.root_dir(path)
  if type(M.options.root_dir) == 'function' then
    return M.options.root_dir(path)
  end
  return M.default_root_dir(path)
end

local warned = false

--- Whether the server can be run; says once, as an error, how to get it when it cannot.
function M.server_executable()
  local program = M.options.cmd[1]
  if program and vim.fn.executable(program) == 1 then
    return true
  end
  if not warned then
    warned = true
    local message =
      string.format('cruddur: the language server `%s` is not executable; %s', tostring(program), INSTALL_HINT)
    -- Scheduled: an error shown inside an autocmd would abort the command that opened the file
    -- when a script runs it (vim.cmd('edit …')).
    vim.schedule(function()
      vim.notify(message, vim.log.levels.ERROR)
    end)
  end
  return false
end

-- A buffer the server can serve: a file (not a help page, a terminal, a `scheme://` buffer).
local function is_file_buffer(bufnr)
  if vim.bo[bufnr].buftype ~= '' then
    return false
  end
  local name = vim.api.nvim_buf_get_name(bufnr)
  return not name:match('^%a[%w+.-]*://')
end

-- The client configuration: every option but this plugin's own.
local function client_options()
  local config = {}
  for key, value in pairs(M.options) do
    if key ~= 'root_markers' and key ~= 'root_dir' and key ~= '_api' then
      config[key] = value
    end
  end
  return config
end

local clients_by_root = {} -- 0.7: root (or '' for none) -> client id

--- Starts the server for a buffer (or attaches the buffer to the client of its root).
--- Used before 0.11; on 0.11+ vim.lsp.enable() does this.
function M.attach(bufnr)
  if bufnr == nil or bufnr == 0 then
    bufnr = vim.api.nvim_get_current_buf()
  end
  if not is_file_buffer(bufnr) or not M.server_executable() then
    return nil
  end
  local config = client_options()
  config.name = 'cruddur'
  config.root_dir = M.root_dir(vim.api.nvim_buf_get_name(bufnr))

  if M.api() == 'start' then
    -- 0.8 attaches the current buffer and has no `bufnr` option; later versions take it.
    local id
    vim.api.nvim_buf_call(bufnr, function()
      id = vim.lsp.start(config, { bufnr = bufnr })
    end)
    return id
  end

  -- 0.7: one client per root, forgotten when it exits.
  local key = config.root_dir or ''
  local id = clients_by_root[key]
  if id and vim.lsp.client_is_stopped(id) then
    id = nil
  end
  if not id then
    local on_exit = config.on_exit
    config.on_exit = function(code, signal, client_id)
      if clients_by_root[key] == client_id then
        clients_by_root[key] = nil
      end
      if on_exit then
        on_exit(code, signal, client_id)
      end
    end
    id = vim.lsp.start_client(config)
    if not id then
      return nil
    end
    clients_by_root[key] = id
  end
  vim.lsp.buf_attach_client(bufnr, id)
  return id
end

--- Whether this Neovim has the 0.11 configuration API.
function M.has_lsp_config()
  return vim.lsp.config ~= nil and vim.lsp.enable ~= nil
end

--- The client API setup() uses: 'config' (0.11+), 'start' (0.8+) or 'start_client' (0.7).
--- The option `_api` picks an older one than the newest present, for the tests.
function M.api()
  local wanted = M.options._api
  if M.has_lsp_config() and (wanted == nil or wanted == 'config') then
    return 'config'
  elseif vim.lsp.start and (wanted == nil or wanted == 'config' or wanted == 'start') then
    return 'start'
  end
  return 'start_client'
end

function M.setup(opts)
  opts = opts or {}
  M.options = vim.tbl_extend('force', vim.deepcopy(defaults), opts)
  if type(M.options.cmd) == 'string' then
    M.options.cmd = { M.options.cmd }
  end
  warned = false
  M.register_filetype()

  local group = vim.api.nvim_create_augroup('cruddur_lsp', { clear = true })

  if M.api() == 'config' then
    -- 0.11+: merged over lsp/cruddur.lua from the runtimepath. root_markers alone would give
    -- a file outside any project no root; the function falls back to the file's folder, as
    -- on older versions.
    local config = client_options()
    config.filetypes = { 'cruddur' }
    config.root_markers = M.options.root_markers
    config.root_dir = function(bufnr, on_dir)
      if is_file_buffer(bufnr) then
        on_dir(M.root_dir(vim.api.nvim_buf_get_name(bufnr)))
      end
    end
    vim.lsp.config('cruddur', config)
    -- vim.lsp.enable() only logs a missing server; say it where it is seen.
    vim.api.nvim_create_autocmd('FileType', {
      group = group,
      pattern = 'cruddur',
      callback = function(args)
        if is_file_buffer(args.buf) then
          M.server_executable()
        end
      end,
    })
    vim.lsp.enable('cruddur')
    return
  end

  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = 'cruddur',
    callback = function(args)
      M.attach(args.buf)
    end,
  })
  -- Buffers opened before setup() (a plugin manager loading this late).
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) and vim.bo[bufnr].filetype == 'cruddur' then
      M.attach(bufnr)
    end
  end
end

return M
