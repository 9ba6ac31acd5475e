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
