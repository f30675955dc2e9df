eval -f xlsx ../xlsx/kinds.rubric ../xlsx/kinds.csv
