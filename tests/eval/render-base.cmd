render -f md render/核值.rubric
