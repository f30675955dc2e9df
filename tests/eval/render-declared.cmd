render -f md render/声明.rubric
