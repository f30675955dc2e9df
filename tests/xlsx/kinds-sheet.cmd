eval -f csv --sheet 第二页 kinds.rubric kinds.xlsx
