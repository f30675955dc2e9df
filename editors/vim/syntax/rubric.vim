" Vim syntax file for rubric(5), the score sheet language of rubric(1).
" Both keyword spellings (English and Chinese), the full-width operators a
" Chinese input method types, the three quote pairs "" “” 「」, comments with
" # or ＃, numbers and percents, and `backquoted names`.
"
" A keyword is a keyword only when it stands alone: names run over every
" letter and digit, so in 完成率>=90且满意度 the 且 is part of a name. Vim's
" keyword items behave exactly so when every letter is a keyword character:
" characters above 255 that are letters (CJK included) are, full-width
" punctuation is not.
if exists('b:current_syntax')
  finish
endif
let s:cpo_save = &cpo
set cpo&vim

syn iskeyword @,48-57,_,192-255

syn keyword rubricDeclaration rubric section group item fact grade test output veto rater quota id
syn keyword rubricDeclaration 评分表 维度 类别 指标 数据 评级 测试 输出 否决 评价人 配额 标识
syn keyword rubricKeyword     weight score expect else 权重 得分 期望 否则 满分 保留
syn keyword rubricType        number integer percent bool text 数值 整数 百分比 布尔 文本
syn keyword rubricLogic       and or not 且 或 非
syn keyword rubricBoolean     true false 是 否
syn keyword rubricTotal       total 总分

" max and round are keywords and function names: a match, so that the
" function match below (defined later) wins before a parenthesis
syn match rubricKeyword /\k\@<!\%(max\|round\)\k\@!/
syn match rubricFunction /\k\@<!\%(min\|max\|clamp\|abs\|round\|count\|sum\|avg\|if\)\k\@!\ze\s*[(（]/

" contextual keywords: base/floor/cap before their number (a header option or
" a statement of the rubric body), show at the start of a statement
syn match rubricContextual /\k\@<!\%(base\|floor\|cap\|基础分\|保底\|封顶\)\k\@!\ze\s\+[-－]\=[0-9０-９]/
syn match rubricContextual /\%(^\s*\|[;；]\s*\)\@<=\%(show\|显示\)\k\@!\ze\s\+\S/

syn match rubricNumber   /\k\@<![0-9０-９]\+\%([.．][0-9０-９]\+\)\=\k\@!/
syn match rubricPercent  /\k\@<![0-9０-９]\+\%([.．][0-9０-９]\+\)\=[%％]/
syn match rubricOperator /[-+*\/<>=!]\+\|[＞＜＝！＋－＊／≥≤≠→×÷]\+\|\.\.\|．．/
syn match rubricDelimiter /[{}()（）｛｝,，:：;；@＠]/
syn match rubricName     /`[^`]*`/

syn region rubricString start=/"/ end=/"/ oneline
syn region rubricString start=/“/ end=/”/ oneline
syn region rubricString start=/「/ end=/」/ oneline

syn match rubricComment /[#＃].*$/ contains=rubricTodo,@Spell
syn keyword rubricTodo contained TODO FIXME XXX

hi def link rubricDeclaration Statement
hi def link rubricKeyword     Keyword
hi def link rubricContextual  Keyword
hi def link rubricType        Type
hi def link rubricLogic       Operator
hi def link rubricBoolean     Boolean
hi def link rubricTotal       Special
hi def link rubricFunction    Function
hi def link rubricNumber      Number
hi def link rubricPercent     Number
hi def link rubricOperator    Operator
hi def link rubricDelimiter   Delimiter
hi def link rubricName        Identifier
hi def link rubricString      String
hi def link rubricComment     Comment
hi def link rubricTodo        Todo

let b:current_syntax = 'rubric'
let &cpo = s:cpo_save
unlet s:cpo_save
