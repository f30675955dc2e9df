eval -f csv --sheet 没有 kinds.rubric kinds.xlsx
