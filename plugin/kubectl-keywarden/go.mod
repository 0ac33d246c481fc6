module keywarden.io/kubectl-keywarden

go 1.22
