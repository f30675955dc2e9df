" rubric score sheets (rubric(5)): *.rubric files
autocmd BufRead,BufNewFile *.rubric setfiletype rubric
