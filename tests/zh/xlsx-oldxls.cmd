eval -f csv ../xlsx/kinds.rubric ../xlsx/oldxls.xlsx
