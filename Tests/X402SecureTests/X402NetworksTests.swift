import Foundation
import Testing
@testable import X402Secure

@Suite struct X402NetworksTests {
    @Test(arguments: X402Vector.all("x402_networks"))
    func networkVector(_ v: X402Vector) throws {
        let id = v.input["network"] as? String ?? ""
        if let err = v.expectedError {
            #expect(throws: X402SError.self) { _ = try Networks.evmChainId(id); _ = try Networks.network(id) }
            do { _ = try Networks.family(id); Issue.record("expected \(err)") } catch {
                #expect(error.status.name == err)
            }
            return
        }
        let e = v.expect
        if let cid = e["chainId"] as? Int {
            #expect(try Networks.evmChainId(id) == UInt64(cid))
        }
        if e["inTable"] as? Bool == false {
            #expect(Networks.lookup(id) == nil)
            #expect(try Networks.family(id) == .evm)
            return
        }
        let n = try Networks.network(id)
        #expect(n.caip2 == e["caip2"] as? String)
        #expect(n.family.rawValue == e["family"] as? String)
        #expect(Networks.caip2(id) == n.caip2)
        if let cid = e["chainId"] as? Int { #expect(n.chainId == UInt64(cid)) }
        if let count = e["assetCount"] as? Int { #expect(n.assets.count == count) }
        if let da = e["defaultAsset"] as? [String: Any] {
            let a = try Networks.defaultAsset(id)
            #expect(a.address == da["address"] as? String)
            #expect(a.symbol == da["symbol"] as? String)
            #expect(a.decimals == da["decimals"] as? Int)
            #expect(a.transferMethod.rawValue == da["transferMethod"] as? String)
            if let name = da["eip712Name"] as? String {
                #expect(a.eip712Name == name)
                #expect(a.eip712Version == da["eip712Version"] as? String)
                #expect(a.supportsEip2612 == (da["supportsEip2612"] as? Bool ?? false))
            }
            if let tp = da["tokenProgram"] as? String { #expect(a.tokenProgram?.rawValue == tp) }
            #expect(Networks.asset(network: id, address: a.address) == a)
            #expect(Networks.asset(network: id, symbol: a.symbol.lowercased()) != nil)
            if n.family == .evm {
                #expect(Networks.asset(network: id, address: a.address.lowercased()) == a)
            }
        }
    }

    @Test func tableIsConsistent() throws {
        var seen = Set<String>()
        for n in Networks.all {
            #expect(seen.insert(n.caip2).inserted, "duplicate \(n.caip2)")
            for v1 in n.v1Names { #expect(seen.insert(v1).inserted, "duplicate v1 name \(v1)") }
            #expect(try Networks.family(n.caip2) == n.family)
            for a in n.assets {
                switch n.family {
                case .evm:
                    #expect(a.eip712Name != nil && a.eip712Version != nil && a.tokenProgram == nil)
                    #expect(a.transferMethod != .splTransferChecked)
                    #expect(a.address.utf8.count == 42 && a.address.hasPrefix("0x"))
                case .solana:
                    #expect(a.tokenProgram != nil && a.eip712Name == nil)
                    #expect(a.transferMethod == .splTransferChecked)
                }
            }
        }
        #expect(Networks.lookup(Networks.solanaDevnet)?.v1Name == "solana-devnet")
    }

    /// x402-protocol.md 2.1: the three conflicts follow the TypeScript/Go values.
    @Test func v1ConflictsFollowTypeScriptAndGo() throws {
        for c in Networks.v1ChainIdConflicts {
            #expect(try Networks.evmChainId(c.v1Name) == c.typeScriptGo)
            #expect(c.python != c.typeScriptGo)
        }
    }

    @Test func tokenPrograms() {
        for p in X402Asset.TokenProgram.allCases { #expect(X402Asset.TokenProgram(programId: p.programId) == p) }
        #expect(X402Asset.TokenProgram(programId: "11111111111111111111111111111111") == nil)
    }

    @Test func unknownAssetErrors() {
        #expect(throws: X402SError(.x402UnknownAsset, "the network has no default asset; give the asset and its decimals")) {
            _ = try Networks.defaultAsset("sepolia")
        }
        do { _ = try X402Price.atomicUnits("$1", network: "eip155:8453", asset: "0x0000000000000000000000000000000000000001"); Issue.record("no error") }
        catch { #expect(error.status == .x402UnknownAsset) }
        do { _ = try X402Price.atomicUnits("$1", network: "eip155:424242"); Issue.record("no error") }
        catch { #expect(error.status == .x402UnknownNetwork) }
    }

    @Test(arguments: X402Vector.all("x402_price"))
    func priceVector(_ v: X402Vector) {
        let price = v.input["price"] as? String ?? ""
        let decimals = v.input["decimals"] as? Int ?? -1
        do {
            let amount = try X402Price.atomicUnits(price, decimals: decimals)
            #expect(v.expectedError == nil, "expected \(v.expectedError ?? "")")
            #expect(amount == v.expect["amount"] as? String)
        } catch {
            #expect(error.status.name == v.expectedError)
        }
    }

    @Test func priceForKnownAssets() throws {
        let base = try X402Price.atomicUnits("$0.01", network: "base-sepolia")
        #expect(base.amount == "10000")
        #expect(base.asset.address == "0x036CbD53842c5426634e7929541eC2318f3dCF7e")
        let mega = try X402Price.atomicUnits("$0.01", network: "eip155:4326")
        #expect(mega.amount == "10000000000000000")
        let pyusd = try X402Price.atomicUnits("2", network: Networks.solanaDevnet, asset: "CXk2AMBfi3TwaEL2468s6zP8xq9NxTXjp9gjMgzeUynM")
        #expect(pyusd.amount == "2000000" && pyusd.asset.tokenProgram == .token2022)
    }
}

@Test func networksTableJSON() throws {
    let t = Networks.tableJSON()
    guard case .array(let nets)? = t["networks"] else { Issue.record("no networks"); return }
    #expect(nets.count == Networks.all.count)
    let base = try #require(nets.first { $0["caip2"] == "eip155:84532" })
    #expect(base["chainId"] == .number("84532"))
    #expect(base["v1Names"] == ["base-sepolia"])
    #expect(base["assets"]?[0]?["eip712Name"] == "USDC")
    #expect(base["assets"]?[0]?["decimals"] == .number("6"))
    let sol = try #require(nets.first { $0["caip2"] == .string(Networks.solanaDevnet) })
    #expect(sol["chainId"] == nil)
    #expect(sol["assets"]?[2]?["tokenProgramId"] == "TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb")
    #expect(t["v1ChainIdConflicts"]?[0]?["typeScriptGo"] == .number("1514"))
    // Round-trips through the JSON parser (valid JSON, raw UTF-8 for the Flare name).
    let text = t.serializedString()
    #expect(try JSONValue.parse(text) == t)
    #expect(text.contains("USD₮0"))
}
