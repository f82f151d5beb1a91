/* Test fixtures shared by the C programs in Tests/c (smoke test, leak loop, ...). */
#ifndef X402S_TEST_FIXTURES_H
#define X402S_TEST_FIXTURES_H

/* The EIP-712 specification's Mail example as eth_signTypedData_v4 JSON. */
#define X402S_TEST_MAIL_JSON \
    "{\"types\":{\"EIP712Domain\":[{\"name\":\"name\",\"type\":\"string\"}," \
    "{\"name\":\"version\",\"type\":\"string\"},{\"name\":\"chainId\",\"type\":\"uint256\"}," \
    "{\"name\":\"verifyingContract\",\"type\":\"address\"}]," \
    "\"Person\":[{\"name\":\"name\",\"type\":\"string\"},{\"name\":\"wallet\",\"type\":\"address\"}]," \
    "\"Mail\":[{\"name\":\"from\",\"type\":\"Person\"},{\"name\":\"to\",\"type\":\"Person\"}," \
    "{\"name\":\"contents\",\"type\":\"string\"}]},\"primaryType\":\"Mail\"," \
    "\"domain\":{\"name\":\"Ether Mail\",\"version\":\"1\",\"chainId\":1," \
    "\"verifyingContract\":\"0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC\"}," \
    "\"message\":{\"from\":{\"name\":\"Cow\",\"wallet\":\"0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826\"}," \
    "\"to\":{\"name\":\"Bob\",\"wallet\":\"0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB\"}," \
    "\"contents\":\"Hello, Bob!\"}}"

#endif
