eval -f csv in/op-ne.rubric in/op.csv
