eval -f csv kinds.rubric bomb-declared.xlsx
