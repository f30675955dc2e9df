eval -f csv kinds.rubric nocache.xlsx
