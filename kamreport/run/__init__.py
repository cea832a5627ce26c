"""Running a quarterly pack: inputs, results store, render jobs, executor, publishing."""
