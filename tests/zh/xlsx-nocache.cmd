eval -f csv ../xlsx/kinds.rubric ../xlsx/nocache.xlsx
