render -f md render/封顶.rubric
