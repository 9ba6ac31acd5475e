//! `rank` ranks each commodity on its own and groups exact ties: `--top N` keeps the N worst
//! loss levels of every commodity, so a run of tied oil elements never pushes gas off the list.

mod common;
use common::run_json;

#[test]
fn each_commodity_ranked_on_its_own_with_ties_grouped() {
    let v = run_json(&["rank", "--top", "3", "--format", "json"]);
    let rows = v["ranking"].as_array().unwrap();
    let commodities: Vec<&str> = rows
        .iter()
        .map(|r| r["commodity"].as_str().unwrap())
        .collect();
    // Both commodities are there, one block each (oil first, as the flow model orders them).
    let first_gas = commodities
        .iter()
        .position(|c| *c == "gas")
        .expect("gas ranked");
    assert!(commodities[..first_gas].iter().all(|c| *c == "oil"));
    assert!(commodities[first_gas..].iter().all(|c| *c == "gas"));
    // With demand capping the markets, the SCP line is gas's worst: the only route of Georgia's
    // gas and the feed of TANAP and TAP; its eleven elements (segments, nodes, zones on it) tie.
    let gas1: Vec<&serde_json::Value> = rows
        .iter()
        .filter(|r| r["commodity"] == "gas" && r["rank"] == 1)
        .collect();
    assert!(gas1.len() > 1);
    assert!(gas1.iter().any(|r| r["id"] == "SCP-1"), "{gas1:?}");
    for r in rows {
        let rank = r["rank"].as_u64().unwrap();
        assert!((1..=3).contains(&rank), "{r}");
        // Elements of one rank share the loss exactly, and `tied` counts them.
        let same: Vec<&serde_json::Value> = rows
            .iter()
            .filter(|x| x["commodity"] == r["commodity"] && x["rank"] == r["rank"])
            .collect();
        assert_eq!(same.len() as u64, r["tied"].as_u64().unwrap());
        assert!(same.iter().all(|x| x["lost"] == r["lost"]));
    }
    // The groups: one per commodity and rank, with every tied element named.
    let groups = v["groups"].as_array().unwrap();
    let oil1 = groups
        .iter()
        .find(|g| g["commodity"] == "oil" && g["rank"] == 1)
        .unwrap();
    assert!(oil1["elements"].as_u64().unwrap() > 1, "{oil1}");
    assert_eq!(
        oil1["ids"].as_array().unwrap().len() as u64,
        oil1["elements"].as_u64().unwrap()
    );
    assert!(groups.iter().any(|g| g["commodity"] == "gas"));
}
