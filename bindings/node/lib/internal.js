'use strict';
// Shared references index.js hands to the modules of lib/ (the addon, the error class, the
// key classes and the secret accessor), so they need not be exported publicly.
module.exports = {};
