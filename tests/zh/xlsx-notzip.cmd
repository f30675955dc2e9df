eval -f csv ../xlsx/kinds.rubric ../xlsx/notzip.xlsx
