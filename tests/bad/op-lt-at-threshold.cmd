eval -f csv in/op-lt.rubric in/op.csv
