eval -f csv kinds.rubric divzero.xlsx
