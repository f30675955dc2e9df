eval -f csv in/op-le.rubric in/op.csv
