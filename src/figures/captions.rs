//! `captions.md` and `captions.tex`: every figure's title and caption, in the figure set's
//! language, as files a manuscript can include. The TeX file holds one `\caption`-ready
//! paragraph per figure (escaped for pdfLaTeX with UTF-8 input), each after a comment naming
//! the figure's files.

use super::i18n::Lang;
use super::manifest::Manifest;

pub const MD: &str = "captions.md";
pub const TEX: &str = "captions.tex";

/// Text escaped for LaTeX: the special characters, and the few non-Latin symbols the captions
/// use mapped to commands pdfLaTeX knows without extra packages.
pub fn tex_escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + 16);
    let mut code = false;
    for c in s.chars() {
        match c {
            '`' => {
                o.push_str(if code { "}" } else { "\\texttt{" });
                code = !code;
            }
            '\\' => o.push_str("\\textbackslash{}"),
            '&' | '%' | '$' | '#' | '_' | '{' | '}' => {
                o.push('\\');
                o.push(c);
            }
            '~' => o.push_str("\\textasciitilde{}"),
            '^' => o.push_str("\\textasciicircum{}"),
            '–' => o.push_str("--"),
            '—' => o.push_str("---"),
            '−' => o.push_str("$-$"),
            '≤' => o.push_str("$\\le$"),
            '≥' => o.push_str("$\\ge$"),
            '×' => o.push_str("$\\times$"),
            '³' => o.push_str("\\textsuperscript{3}"),
            '²' => o.push_str("\\textsuperscript{2}"),
            '°' => o.push_str("\\textdegree{}"),
            '·' => o.push_str("\\textperiodcentered{}"),
            '§' => o.push_str("\\S{}"),
            'Σ' => o.push_str("$\\Sigma$"),
            'ı' => o.push_str("{\\i}"),
            'İ' => o.push_str("\\.{I}"),
            'ğ' => o.push_str("\\u{g}"),
            '©' => o.push_str("\\textcopyright{}"),
            c => o.push(c),
        }
    }
    if code {
        o.push('}');
    }
    o
}

/// The two files' text.
pub fn render(m: &Manifest, lang: Lang) -> (String, String) {
    let (head, files) = match lang {
        Lang::En => ("Figure captions", "Files"),
        Lang::Id => ("Keterangan gambar", "Berkas"),
    };
    let mut md = format!("# {head}\n\n");
    let mut tex = format!(
        "% {head} (corridor v{}); one \\caption per figure, UTF-8.\n\n",
        env!("CARGO_PKG_VERSION")
    );
    for f in &m.figures {
        md.push_str(&format!(
            "## {} — {}\n\n{files}: `{}`, `{}`, `{}`; data: `{}`\n\n{}\n\n",
            f.id, f.title, f.files.pdf, f.files.svg, f.files.png, f.data, f.caption
        ));
        tex.push_str(&format!(
            "% {}: {} ({}, {}, {})\n\\caption[{}]{{{}}}\\label{{fig:{}}}\n\n",
            f.id,
            tex_escape(&f.title),
            f.files.pdf,
            f.files.svg,
            f.files.png,
            tex_escape(&f.title),
            tex_escape(&f.caption),
            f.id
        ));
    }
    (md, tex)
}

#[cfg(test)]
mod tests {
    use super::tex_escape;

    #[test]
    fn escapes_latex_specials() {
        assert_eq!(tex_escape("50 % & $x_1$"), "50 \\% \\& \\$x\\_1\\$");
        assert_eq!(
            tex_escape("≤ 10 km – m³"),
            "$\\le$ 10 km -- m\\textsuperscript{3}"
        );
        assert_eq!(tex_escape("`corridor rank`"), "\\texttt{corridor rank}");
    }
}
