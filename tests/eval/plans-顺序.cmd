eval -f json plans/顺序.rubric plans/顺序.csv
