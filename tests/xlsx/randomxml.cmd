eval -f csv kinds.rubric randomxml.xlsx
