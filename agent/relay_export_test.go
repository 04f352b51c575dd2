package agent

// RelayProofForTest lets the black-box tests forge and replay proofs.
var RelayProofForTest = relayProof
