eval -f csv base.rubric in/good1.facts in/facts/undeclared-name.facts in/good3.facts
