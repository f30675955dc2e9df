explain edition2/总分保底封顶.rubric edition2/总分保底封顶.csv --id 10
