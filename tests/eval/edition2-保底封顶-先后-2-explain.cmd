explain edition2/总分保底封顶.rubric edition2/保底封顶-先后.csv --id 2
