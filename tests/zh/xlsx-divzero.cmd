eval -f csv ../xlsx/kinds.rubric ../xlsx/divzero.xlsx
