eval -f csv kinds.rubric doctype.xlsx
