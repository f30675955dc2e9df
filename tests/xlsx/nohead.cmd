eval -f csv nohead.rubric numbers.xlsx
