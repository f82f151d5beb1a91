import X402Secure
