eval -f csv kinds.rubric kinds.xlsx
