eval -f csv in/op-gt.rubric in/op.csv
