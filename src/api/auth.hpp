// The server's Authenticator for vidgen's API keys: a key is looked up by its SHA-256 among the live (not
// revoked) keys of every tenant. Thread-safe: the returned function only reads the Store, which must
// outlive it.
#pragma once

#include "http/server.hpp"
#include "store/store.hpp"

namespace vidgen::api {

// Unknown and revoked keys are Code::not_found (the server answers 401); a store failure passes through.
http::Authenticator make_authenticator(store::Store& store);

}  // namespace vidgen::api
