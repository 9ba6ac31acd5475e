//! Every word the figures print, in English and Indonesian (the paper is written in Indonesian).
//!
//! Numbers follow each language's convention: `1,500.5` in English, `1.500,5` in Indonesian.
//! The CSV files behind the figures stay in machine form (dot decimals) whatever the language.

use serde::Serialize;

/// The language of a figure set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Id,
}

impl Lang {
    pub fn as_str(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Id => "id",
        }
    }
}

/// Labels in one language.
#[derive(Debug, Clone, Copy)]
pub struct L {
    pub lang: Lang,
}

impl L {
    pub fn new(lang: Lang) -> L {
        L { lang }
    }

    /// The English or the Indonesian text.
    pub fn p<'a>(&self, en: &'a str, id: &'a str) -> &'a str {
        match self.lang {
            Lang::En => en,
            Lang::Id => id,
        }
    }

    /// `v` with `dec` decimals and the language's separators.
    pub fn num(&self, v: f64, dec: usize) -> String {
        let s = format!("{:.*}", dec, v.abs());
        let (int, frac) = match s.split_once('.') {
            Some((i, f)) => (i.to_string(), Some(f.to_string())),
            None => (s.clone(), None),
        };
        let (th, dp) = match self.lang {
            Lang::En => (',', '.'),
            Lang::Id => ('.', ','),
        };
        let mut grouped = String::new();
        for (i, c) in int.chars().enumerate() {
            if i > 0 && (int.len() - i) % 3 == 0 {
                grouped.push(th);
            }
            grouped.push(c);
        }
        let neg = v < 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0');
        let mut out = if neg {
            format!("−{grouped}")
        } else {
            grouped
        };
        if let Some(f) = frac {
            out.push(dp);
            out.push_str(&f);
        }
        out
    }

    /// A tick label: as few decimals as the step needs.
    pub fn tick(&self, v: f64, step: f64) -> String {
        let dec = if step >= 1.0 {
            0
        } else {
            (-step.log10()).ceil().max(0.0) as usize
        };
        self.num(v, dec)
    }

    pub fn source(&self, what: &str) -> String {
        format!("{} {what}", self.p("Source:", "Sumber:"))
    }

    // --- units ---------------------------------------------------------------------------

    /// A normalised unit as printed on axes.
    pub fn unit(&self, unit: &str) -> String {
        match unit {
            "bcm/y" => self.p("bcm/y", "miliar m³/tahun").into(),
            "kb/d" => self.p("kb/d", "ribu barel/hari").into(),
            "bcm" => self.p("bcm", "miliar m³").into(),
            other => other.into(),
        }
    }

    pub fn commodity(&self, c: &str) -> String {
        match c {
            "gas" => self.p("Gas", "Gas").into(),
            "oil" => self.p("Oil", "Minyak").into(),
            other => other.into(),
        }
    }

    // --- places --------------------------------------------------------------------------

    /// Country or market names in the language (proper names that do not change stay as is).
    pub fn place(&self, name: &str) -> String {
        if self.lang == Lang::En {
            return name.to_string();
        }
        match name {
            "Russia" => "Rusia",
            "Romania" => "Rumania",
            "Algeria" => "Aljazair",
            "United States" => "Amerika Serikat",
            "Egypt" => "Mesir",
            "Greece" => "Yunani",
            "Italy" => "Italia",
            "Ceyhan export" => "Ekspor Ceyhan",
            "Supsa export" => "Ekspor Supsa",
            "LNG (unspecified)" => "LNG (asal tidak disebutkan)",
            crate::analysis::supply::UNATTRIBUTED => "tidak teratribusi",
            "Caspian Sea" => "Laut Kaspia",
            "Black Sea" => "Laut Hitam",
            "Mediterranean Sea" => "Laut Tengah",
            "Ganja gap" => "Celah Ganja",
            other => other,
        }
        .to_string()
    }

    /// A supplier in a legend: remainders say what they are.
    pub fn supplier(&self, s: &str) -> String {
        match s {
            crate::analysis::supply::UNATTRIBUTED => self
                .p(
                    "Unattributed (supplier not reported)",
                    "Tidak teratribusi (pemasok tidak dilaporkan)",
                )
                .into(),
            "LNG (unspecified)" => self
                .p("LNG, origin not stated", "LNG, asal tidak disebutkan")
                .into(),
            other => self.place(other),
        }
    }

    pub fn lon(&self, v: f64) -> String {
        let hemi = match (self.lang, v < 0.0) {
            (Lang::En, false) => "E",
            (Lang::En, true) => "W",
            (Lang::Id, false) => " BT",
            (Lang::Id, true) => " BB",
        };
        format!("{}°{hemi}", self.num(v.abs(), 0))
    }

    pub fn lat(&self, v: f64) -> String {
        let hemi = match (self.lang, v < 0.0) {
            (Lang::En, false) => "N",
            (Lang::En, true) => "S",
            (Lang::Id, false) => " LU",
            (Lang::Id, true) => " LS",
        };
        let dec = if (v - v.round()).abs() > 1e-9 { 1 } else { 0 };
        format!("{}°{hemi}", self.num(v.abs(), dec))
    }

    pub fn element_kind(&self, k: &str) -> String {
        match k {
            "segment" => self.p("segment", "segmen"),
            "node" => self.p("node", "simpul"),
            "zone" => self.p("zone", "zona"),
            other => other,
        }
        .into()
    }
}

/// Captions: one paragraph per figure, in the figure's language.
impl L {
    /// The caption of disruption-ganja.
    pub fn caption_disruption_ganja(&self, cut_ids: &[String]) -> String {
        match self.lang {
            Lang::En => format!(
                "Maximum deliverable flow to each market on its own (gas in bcm/y, oil in kb/d), with the network intact \
                 (solid) and with every segment and node touching the Ganja gap removed (hatched). Removed segments: {}.",
                if cut_ids.is_empty() { "none".to_string() } else { cut_ids.join(", ") }
            ),
            Lang::Id => format!(
                "Aliran maksimum yang dapat dikirim ke setiap pasar secara tersendiri (gas dalam miliar m³/tahun, minyak \
                 dalam ribu barel/hari), dengan jaringan utuh (penuh) dan dengan setiap segmen dan simpul yang menyentuh \
                 Celah Ganja dihapus (berarsir). Segmen yang dihapus: {}.",
                if cut_ids.is_empty() { "tidak ada".to_string() } else { cut_ids.join(", ") }
            ),
        }
    }

    /// The caption of exposure-bands.
    pub fn caption_exposure_bands(&self, omitted: &[&str]) -> String {
        match self.lang {
            Lang::En => format!(
                "Length of each corridor's route within 10, 20, 40 and 70 km of the Armenia–Azerbaijan border (geodesic \
                 distances on WGS84; bands are cumulative, so the 70 km bar includes the nearer ones). Corridors that \
                 come no closer than 70 km are omitted from the chart but listed in the data: {}.",
                omitted.join(", ")
            ),
            Lang::Id => format!(
                "Panjang rute setiap koridor dalam jarak 10, 20, 40 dan 70 km dari perbatasan Armenia–Azerbaijan (jarak \
                 geodesik pada WGS84; pita bersifat kumulatif, sehingga batang 70 km mencakup pita yang lebih dekat). \
                 Koridor yang tidak pernah lebih dekat dari 70 km tidak digambar tetapi tercantum dalam data: {}.",
                omitted.join(", ")
            ),
        }
    }

    /// The caption of profile-cap-note.
    pub fn caption_profile_cap_note(&self, capped: bool, cap_km: f64, dmax: f64) -> String {
        match (capped, self.lang) {
            (false, _) => String::new(),
            (true, Lang::En) => format!(
                " The axis stops at {} km; farther stretches (up to {} km) run off the top and are in the data.",
                self.num(cap_km, 0),
                self.num(dmax, 0)
            ),
            (true, Lang::Id) => format!(
                " Sumbu berhenti pada {} km; bagian yang lebih jauh (hingga {} km) keluar dari batas atas dan tercantum dalam data.",
                self.num(cap_km, 0),
                self.num(dmax, 0)
            ),
        }
    }

    /// The caption of profile.
    pub fn caption_profile(&self, corridor: &str, dist: f64, at: f64, cap_note: &str) -> String {
        match self.lang {
            Lang::En => format!(
                "Geodesic distance from the {corridor} route to the Armenia–Azerbaijan border, sampled every kilometre \
                 of chainage (distance along the route from its upstream end). Shading marks the 10, 20, 40 and 70 km \
                 bands. Closest approach: {} km at km {}.{cap_note}",
                self.num(dist, 1),
                self.num(at, 0)
            ),
            Lang::Id => format!(
                "Jarak geodesik dari rute {corridor} ke perbatasan Armenia–Azerbaijan, diambil setiap kilometer \
                 sepanjang rute (jarak dari ujung hulu). Arsiran menandai pita 10, 20, 40 dan 70 km. Jarak terdekat: \
                 {} km pada km {}.{cap_note}",
                self.num(dist, 1),
                self.num(at, 0)
            ),
        }
    }

    /// The caption of rank-top.
    pub fn caption_rank_top(&self) -> String {
        match self.lang {
            Lang::En => "For each commodity, the ten segments, nodes and zones whose single loss removes the most of \
                its total deliverability (maximum flow from all supplies to all markets at once), gas in bcm/y and oil in \
                kb/d; the share of the commodity's total is in brackets. Zones are removed with every segment and node \
                touching them; ties keep the order of `corridor rank` (share, loss, kind, id).".to_string(),
            Lang::Id => "Untuk setiap komoditas, sepuluh segmen, simpul dan zona yang kehilangannya secara tunggal \
                paling banyak mengurangi kemampuan pasokan totalnya (aliran maksimum dari semua sumber ke semua pasar \
                sekaligus), gas dalam miliar m³/tahun dan minyak dalam ribu barel/hari; pangsa dari total komoditas di \
                dalam kurung. Zona dihapus bersama setiap segmen dan simpul yang menyentuhnya; urutan nilai yang sama \
                mengikuti `corridor rank` (pangsa, kehilangan, jenis, id).".to_string(),
        }
    }

    /// The caption of supply-imports.
    pub fn caption_supply_imports(&self, first: i32, last: i32) -> String {
        match self.lang {
            Lang::En => format!(
                "Türkiye's natural-gas imports by supplier, {first}–{last}, in bcm (billion cubic metres) per year; \
                 the figure above each bar is the year's total. Hatched grey: volumes whose supplier the sources do not \
                 report (unattributed), shown as such rather than spread across suppliers; light grey: LNG of unstated origin."
            ),
            Lang::Id => format!(
                "Impor gas alam Türkiye menurut pemasok, {first}–{last}, dalam miliar m³ per tahun; angka di atas \
                 setiap batang adalah total tahun itu. Abu-abu berarsir: volume yang pemasoknya tidak dilaporkan sumber \
                 (tidak teratribusi), ditampilkan apa adanya dan tidak dibagi ke pemasok lain; abu-abu muda: LNG yang \
                 asalnya tidak disebutkan."
            ),
        }
    }

    /// The caption of supply-shares-hhi.
    pub fn caption_supply_shares_hhi(&self) -> String {
        match self.lang {
            Lang::En => "Top: each supplier's share of Türkiye's gas imports (hatched: unattributed). Bottom: the \
                Herfindahl–Hirschman index (HHI, sum of squared percentage shares, 0–10,000), with each remainder counted \
                as one supplier; the shaded band spans the values the HHI could take if the unattributed volume were split \
                among many small suppliers (hhi_min) or belonged entirely to the largest named one (hhi_max). Dashed: the \
                1,500 and 2,500 thresholds of moderately and highly concentrated markets (U.S. Department of Justice and \
                Federal Trade Commission, Horizontal Merger Guidelines, 2010, §5.3). Years in which named suppliers \
                cover less than half of the imports have no HHI (a gap in the line).".to_string(),
            Lang::Id => "Atas: pangsa setiap pemasok dalam impor gas Türkiye (berarsir: tidak teratribusi). Bawah: \
                indeks Herfindahl–Hirschman (HHI, jumlah kuadrat pangsa dalam persen, 0–10.000), dengan setiap sisa dihitung \
                sebagai satu pemasok; pita berarsir menunjukkan nilai HHI yang mungkin bila volume yang tidak teratribusi \
                dibagi ke banyak pemasok kecil (hhi_min) atau seluruhnya milik pemasok terbesar yang disebut (hhi_max). \
                Garis putus-putus: ambang 1.500 dan 2.500 untuk pasar cukup dan sangat terkonsentrasi (U.S. Department of \
                Justice dan Federal Trade Commission, Horizontal Merger Guidelines, 2010, §5.3). Tahun-tahun ketika \
                pemasok yang disebut mencakup kurang dari separuh impor tidak memiliki HHI (celah pada garis).".to_string(),
        }
    }

    /// The caption of map-ganja.
    pub fn caption_map_ganja(&self) -> String {
        match self.lang {
            Lang::En => "The Ganja gap and the Tovuz district: shading marks land within 10, 20, 40 and 70 km of the \
                Armenia–Azerbaijan border (geodesic distance on WGS84, evaluated on a 0.5 mm grid); BTC (oil), SCP (gas) \
                and the Western Route Export Pipeline (WREP, Baku–Supsa, oil) with their closest points to the border and \
                the distance. Plate carrée projection corrected by cos 41° (drawing only). Borders and districts: \
                data/zones; countries: Natural Earth.".to_string(),
            Lang::Id => "Celah Ganja dan distrik Tovuz: arsiran menandai daratan dalam jarak 10, 20, 40 dan 70 km dari \
                perbatasan Armenia–Azerbaijan (jarak geodesik pada WGS84, dihitung pada grid 0,5 mm); BTC (minyak), SCP \
                (gas) dan Western Route Export Pipeline (WREP, Baku–Supsa, minyak) beserta titik terdekatnya ke perbatasan \
                dan jaraknya. Proyeksi plate carrée dikoreksi cos 41° (hanya untuk penggambaran). Perbatasan dan distrik: \
                data/zones; negara: Natural Earth.".to_string(),
        }
    }

    /// The caption of map-region.
    pub fn caption_map_region(&self) -> String {
        match self.lang {
            Lang::En => "Energy corridors between the Caspian and Italy: gas pipelines in blue (solid) and oil pipelines in \
                vermillion (dashed), line width by design capacity; triangles mark supplies, rings markets; the purple area is \
                the Ganja gap and the Azerbaijani districts around it, the rectangle the extent of the close-up map. Plate \
                carrée projection with the horizontal scale corrected by cos 40° (for drawing only: the scale bar, at 35°N, \
                and all distances are geodesic on WGS84). Basemap: Natural Earth.".to_string(),
            Lang::Id => "Koridor energi antara Laut Kaspia dan Italia: pipa gas berwarna biru (garis utuh) dan pipa minyak \
                berwarna jingga kemerahan (garis putus-putus), tebal garis menurut kapasitas rancangan; segitiga menandai \
                sumber pasokan, lingkaran menandai pasar; area ungu adalah Celah Ganja dan distrik-distrik Azerbaijan di \
                sekitarnya, persegi panjang menandai cakupan peta perbesaran. Proyeksi plate carrée dengan skala horizontal \
                dikoreksi cos 40° (hanya untuk penggambaran: skala batang, pada 35° LU, dan semua jarak bersifat geodesik \
                pada WGS84). Peta dasar: Natural Earth.".to_string(),
        }
    }
}

/// Titles: one line per figure, in the figure's language.
impl L {
    /// The title of the figure `id` (empty for an id without a fixed title).
    pub fn title(&self, id: &str) -> String {
        match id {
            "disruption-ganja" => self.p(
                "Deliverability per market before and after losing the Ganja gap",
                "Kemampuan pasokan per pasar sebelum dan sesudah kehilangan Celah Ganja",
            ),
            "exposure-bands" => self.p(
                "Corridor length near the Armenia–Azerbaijan border",
                "Panjang koridor di dekat perbatasan Armenia–Azerbaijan",
            ),
            "rank-top" => self.p(
                "The ten elements whose loss costs the most, per commodity",
                "Sepuluh elemen yang kehilangannya paling merugikan, per komoditas",
            ),
            "supply-imports" => self.p(
                "Türkiye's gas imports by supplier",
                "Impor gas Türkiye menurut pemasok",
            ),
            "supply-shares-hhi" => self.p(
                "Supplier shares and concentration (HHI) of Türkiye's gas imports",
                "Pangsa pemasok dan konsentrasi (HHI) impor gas Türkiye",
            ),
            "map-ganja" => self.p(
                "The Ganja gap and Tovuz: corridors near the Armenia–Azerbaijan border",
                "Celah Ganja dan Tovuz: koridor di dekat perbatasan Armenia–Azerbaijan",
            ),
            "map-region" => self.p(
                "Energy corridors from the Caspian to Italy",
                "Koridor energi dari Laut Kaspia hingga Italia",
            ),
            _ => "",
        }
        .to_string()
    }

    /// The title of a distance profile along `corridor`.
    pub fn title_profile(&self, corridor: &str) -> String {
        format!(
            "{corridor}: {}",
            self.p(
                "distance to the Armenia–Azerbaijan border along the route",
                "jarak ke perbatasan Armenia–Azerbaijan di sepanjang rute"
            )
        )
    }
}
