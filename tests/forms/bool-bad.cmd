check bool-bad.rubric
