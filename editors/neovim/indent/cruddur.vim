" Indentation for .cruddur files, as `cruddur fmt` lays them out: one level (shiftwidth) more
" inside `{ }`, `[ ]` and `( )` opened on an earlier line, the closer back at its opener's
" line's indentation; the text of a `"""` string is left as it is.
if exists('b:did_indent')
  finish
endif
let b:did_indent = 1

setlocal autoindent
setlocal indentexpr=CruddurIndent(v:lnum)
setlocal indentkeys=0{,0},0],0),!^F,o,O
let b:undo_indent = 'setlocal autoindent< indentexpr< indentkeys<'

if exists('*CruddurIndent')
  finish
endif

let s:skip = 'synIDattr(synID(line("."), col("."), 0), "name") =~? "string\\|comment"'

" The line with strings and comments blanked (same length), so their brackets do not count.
function! s:Code(lnum) abort
  let line = getline(a:lnum)
  let blank = '\=repeat(" ", strlen(submatch(0)))'
  let line = substitute(line, '"""\%(.\{-}"""\)\=', blank, 'g')
  let line = substitute(line, '"\%(\\.\|[^"\\]\)*"\=', blank, 'g')
  let line = substitute(line, '/\*.\{-}\%(\*/\|$\)', blank, 'g')
  return substitute(line, '//.*$', blank, '')
endfunction

" The indentation of the line holding the opener that the closer at (lnum, col) closes.
function! s:OpenerIndent(lnum, col) abort
  let save = getpos('.')
  call cursor(a:lnum, a:col)
  let [line, _] = searchpairpos('[{[(]', '', '[}\])]', 'bnW', s:skip)
  call setpos('.', save)
  return line > 0 ? indent(line) : -1
endfunction

" Whether the line starts inside a """ string (its text, or its closing quotes).
function! s:InRawString(lnum) abort
  let first = match(getline(a:lnum), '\S')
  return first >= 0 && synIDattr(synID(a:lnum, first + 1, 0), 'name') ==# 'cruddurRawString'
endfunction

function! CruddurIndent(lnum) abort
  let current = getline(a:lnum)
  let first = match(current, '\S')
  " Inside a """ string the text is the author's.
  if s:InRawString(a:lnum)
    return indent(a:lnum)
  endif
  " A line starting with a closer lines up with its opener's line.
  if current =~# '^\s*[}\])]'
    let ind = s:OpenerIndent(a:lnum, first + 1)
    if ind >= 0
      return ind
    endif
  endif

  let prev = prevnonblank(a:lnum - 1)
  " After a """ string, the line where it started.
  while prev > 0 && s:InRawString(prev)
    let prev = prevnonblank(prev - 1)
  endwhile
  if prev == 0
    return 0
  endif
  " The brackets the previous line leaves open, and the last one it closes that was opened
  " on an earlier line (the statement it ends started there).
  let code = s:Code(prev)
  let depth = 0
  let closer = -1
  for i in range(strlen(code))
    let c = code[i]
    if c =~# '[{[(]'
      let depth += 1
    elseif c =~# '[}\])]'
      if depth > 0
        let depth -= 1
      else
        let closer = i
      endif
    endif
  endfor
  let ind = indent(prev)
  if closer >= 0 && code !~# '^\s*[}\])]\s*$'
    let opener = s:OpenerIndent(prev, closer + 1)
    if opener >= 0
      let ind = opener
    endif
  endif
  if depth > 0
    let ind += shiftwidth()
  endif
  return ind
endfunction
