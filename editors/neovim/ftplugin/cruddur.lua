-- Buffer settings for `.cruddur` files: comments as the language writes them, and the
-- indentation `cruddur fmt` uses (two spaces per block level).
if vim.b.did_ftplugin then
  return
end
vim.b.did_ftplugin = 1

vim.bo.commentstring = '// %s'
vim.bo.comments = 's1:/*,mb:*,ex:*/,://'
vim.bo.shiftwidth = 2
vim.bo.softtabstop = 2
vim.bo.expandtab = true
-- Wrap and continue comments, not code.
local formatoptions = vim.bo.formatoptions:gsub('t', '')
for flag in ('croql'):gmatch('.') do
  if not formatoptions:find(flag, 1, true) then
    formatoptions = formatoptions .. flag
  end
end
vim.bo.formatoptions = formatoptions

vim.b.undo_ftplugin = (vim.b.undo_ftplugin and (vim.b.undo_ftplugin .. ' | ') or '')
  .. 'setlocal commentstring< comments< shiftwidth< softtabstop< expandtab< formatoptions<'
