" Syntax highlighting for .cruddur files (the language reference: spec/language.md, §2).
" Simple and lexical; with Neovim 0.9+ the language server's semantic tokens refine it.
if exists('b:current_syntax')
  finish
endif

syn case match
syn sync minlines=200

" Comments; `// cruddur-allow(S0006): reason` waives a finding.
syn keyword cruddurTodo contained TODO FIXME XXX NOTE
syn match cruddurWaiver contained /cruddur-allow([^)]*)/
syn match cruddurLineComment "//.*$" contains=cruddurTodo,cruddurWaiver,@Spell
syn region cruddurBlockComment start="/\*" end="\*/" contains=cruddurTodo,@Spell

" Strings: "…" on one line with escapes; """…""" raw. Both interpolate ${{ path }}; $NAME and
" ${NAME} are shell variables, left for the build.
syn match cruddurEscape contained /\\\%([ntr0\\"$]\|u{\x\{1,6}}\)/
syn match cruddurBadEscape contained /\\[^ntr0\\"$u]/
syn match cruddurShellVar contained /\$\%(\h\w*\|{\h\w*}\)/
syn region cruddurInterpolation contained matchgroup=cruddurInterpolationDelimiter start="\${{" end="}}" contains=cruddurInterpolationPath oneline
syn match cruddurInterpolationPath contained /\h\w*\%(\.\h\w*\)*/
" (Of items starting at the same place the one defined last wins: `"""` is a raw string.)
syn region cruddurString start=/"/ skip=/\\\\\|\\"/ end=/"/ oneline contains=cruddurEscape,cruddurBadEscape,cruddurInterpolation,cruddurShellVar
syn region cruddurRawString start=/"""/ end=/"""/ contains=cruddurInterpolation,cruddurShellVar

" Literals.
syn keyword cruddurBoolean true false
syn match cruddurNumber /\<\d\+\%(\.\d\+\)\=\>/
syn match cruddurDuration /\<\d\+[hms]\%(\d\+[ms]\)*\>/

" Items at the top level, `KIND NAME`; then the labelled members that name a part.
syn match cruddurItem /^\%(aws\|param\|let\|connection\|repository\|service\|role\|project\|pipeline\|stage_template\)\>/ nextgroup=cruddurItemName skipwhite
syn match cruddurItemName contained /\h\w*/
syn match cruddurSection /^\s*\zs\%(stage\|action\|phase\|runtime\|artifact\|report\)\>\ze\s\+\h/ nextgroup=cruddurLabel skipwhite
syn match cruddurLabel contained /\h\w*/
" Statements: repeatable commands and lists.
syn match cruddurStatement /^\s*\zs\%(run\|input\|output\|export\)\>\ze\s*[^=[:space:]]/
" A member set with `=`, and calls (providers, functions).
syn match cruddurMember /^\s*\zs\h\w*\ze\s*=/
syn match cruddurCall /\<\h\w*\ze(/

hi def link cruddurTodo Todo
hi def link cruddurWaiver SpecialComment
hi def link cruddurLineComment Comment
hi def link cruddurBlockComment Comment
hi def link cruddurString String
hi def link cruddurRawString String
hi def link cruddurEscape SpecialChar
hi def link cruddurBadEscape Error
hi def link cruddurShellVar Identifier
hi def link cruddurInterpolationDelimiter Delimiter
hi def link cruddurInterpolationPath Special
hi def link cruddurBoolean Boolean
hi def link cruddurDuration Number
hi def link cruddurNumber Number
hi def link cruddurItem Keyword
hi def link cruddurItemName Type
hi def link cruddurSection Keyword
hi def link cruddurLabel Function
hi def link cruddurStatement Statement
hi def link cruddurMember Identifier
hi def link cruddurCall Function

let b:current_syntax = 'cruddur'
