eval -f csv in/op-ge.rubric in/op.csv
