#ifndef X402S_CSODIUM_SHIM_H
#define X402S_CSODIUM_SHIM_H
#include <sodium.h>
#endif
