eval -f csv kinds.rubric oldxls.xlsx
