//! Placing the brand logo, decoded when the brand loaded ([`crate::logo`]): a
//! PNG becomes an [`Image`](super::document::Image), an SVG's polygons a
//! [`Path`] per fill, scaled into the box with the logo's aspect ratio.

use super::LayoutError;
use super::document::{Image, Item, Path, Pt};
use crate::logo::{Logo, Raster};

/// Draws `logo` with its top-left at `at`, scaled to fit `max` (w, h) with its
/// aspect ratio; returns the drawn size, `(0, 0)` when nothing was drawn.
pub(crate) fn draw(
    logo: &Logo,
    items: &mut Vec<Item>,
    images: &mut Vec<Raster>,
    at: (f32, f32),
    max: (f32, f32),
) -> Result<(f32, f32), LayoutError> {
    match logo {
        Logo::Png(raster) => {
            if raster.width == 0 || raster.height == 0 {
                return Ok((0.0, 0.0));
            }
            let (w, h) = fit(raster.width as f32, raster.height as f32, max);
            let index = images.iter().position(|r| r == raster).unwrap_or_else(|| {
                images.push(raster.clone());
                images.len() - 1
            });
            items.push(Item::Image(Image {
                x: Pt(at.0),
                y: Pt(at.1),
                width: Pt(w),
                height: Pt(h),
                image: index,
            }));
            Ok((w, h))
        }
        Logo::Svg(svg) => {
            let (w, h) = fit(svg.view.2, svg.view.3, max);
            let scale = w / svg.view.2;
            for (fill, polygons) in &svg.shapes {
                let polygons: Vec<Vec<(Pt, Pt)>> = polygons
                    .iter()
                    .filter(|p| p.len() >= 3)
                    .map(|p| {
                        p.iter()
                            .map(|&(x, y)| {
                                (
                                    Pt(at.0 + (x - svg.view.0) * scale),
                                    Pt(at.1 + (y - svg.view.1) * scale),
                                )
                            })
                            .collect()
                    })
                    .collect();
                if !polygons.is_empty() {
                    items.push(Item::Path(Path {
                        polygons,
                        fill: *fill,
                    }));
                }
            }
            Ok((w, h))
        }
    }
}

fn fit(w: f32, h: f32, (max_w, max_h): (f32, f32)) -> (f32, f32) {
    let s = (max_w / w).min(max_h / h);
    (w * s, h * s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::color::Rgb;

    #[test]
    fn svg_shapes_become_polygons_in_the_box() {
        let svg = r##"<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 50">
            <g fill="#1F4E79"><rect x="0" y="0" width="50" height="50"/>
            <path d="M60 0 h40 v50 h-40 z"/></g>
            <circle cx="150" cy="25" r="20" style="fill:#ff0000"/>
            <rect x="0" y="0" width="1" height="1" fill="none"/></svg>"##;
        let mut items = Vec::new();
        let mut images = Vec::new();
        let (w, h) = draw(
            &Logo::Svg(crate::logo::VectorLogo::parse(svg).unwrap()),
            &mut items,
            &mut images,
            (10.0, 20.0),
            (100.0, 100.0),
        )
        .unwrap();
        assert_eq!((w, h), (100.0, 25.0));
        assert_eq!(items.len(), 3);
        let Item::Path(p) = &items[1] else { panic!() };
        assert_eq!(p.fill, Rgb(0x1F, 0x4E, 0x79));
        assert_eq!(p.polygons[0][0], (Pt(40.0), Pt(20.0)));
        let Item::Path(c) = &items[2] else { panic!() };
        assert_eq!(c.fill, Rgb(255, 0, 0));
    }

    #[test]
    fn png_logo_is_an_image_scaled_to_fit() {
        let raster = Raster {
            width: 160,
            height: 48,
            pixels: vec![0; 160 * 48 * 3],
            has_alpha: false,
        };
        let mut items = Vec::new();
        let mut images = Vec::new();
        let (w, h) = draw(
            &Logo::Png(raster),
            &mut items,
            &mut images,
            (0.0, 0.0),
            (100.0, 20.0),
        )
        .unwrap();
        assert!((w - 66.666_66).abs() < 0.01 && h == 20.0, "{w} {h}");
        assert_eq!(images.len(), 1);
    }
}
