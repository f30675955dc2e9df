eval -f csv --sheet 没有 ../xlsx/kinds.rubric ../xlsx/kinds.xlsx
