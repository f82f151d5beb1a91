import X402Secure
print(Keccak256.hash([]).map { String($0, radix: 16) }.joined())
