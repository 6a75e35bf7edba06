// Two stacked strips on one canvas: members (line) and deliveries per second (bars), one sample a second.
// The time span grows with the samples this page has, from one minute up to `seconds`.

export class RateChart {

    constructor(canvas, seconds = 300) {
        this.canvas = canvas;
        this.seconds = seconds;
        this.samples = [];
        this.second = null;
        this.sampled = 0;
        this.deliveries = 0;
    }

    /** Counts deliveries into the current second. */
    addDeliveries(count) {
        this.deliveries += count;
    }

    /** Closes every whole second up to `now`; seconds the page slept through repeat the member count. */
    sample(now, members) {
        const second = Math.floor(now / 1000);
        if (this.second === null) {
            this.second = second;
            return;
        }
        // After a long sleep only the last `seconds` can be shown: skip the rest.
        this.second = Math.max(this.second, second - this.seconds);
        while (this.second < second) {
            this.samples.push({members, deliveries: this.deliveries});
            this.deliveries = 0;
            this.second++;
            this.sampled++;
        }
        // Seconds covered so far: browser tests pace themselves on it instead of sleeping.
        this.canvas.dataset.seconds = this.sampled;
        if (this.samples.length > this.seconds) {
            this.samples.splice(0, this.samples.length - this.seconds);
        }
    }

    draw() {
        const canvas = this.canvas;
        const ratio = window.devicePixelRatio || 1;
        const width = canvas.clientWidth;
        const height = canvas.clientHeight;
        if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
            canvas.width = Math.round(width * ratio);
            canvas.height = Math.round(height * ratio);
        }
        const context = canvas.getContext('2d');
        context.setTransform(ratio, 0, 0, ratio, 0, 0);
        context.clearRect(0, 0, width, height);
        const style = getComputedStyle(canvas);
        const colors = {
            members: style.getPropertyValue('--chart-members').trim(),
            deliveries: style.getPropertyValue('--chart-deliveries').trim(),
            grid: style.getPropertyValue('--chart-grid').trim(),
            text: style.getPropertyValue('--chart-text').trim(),
        };
        context.font = '11px system-ui, sans-serif';
        const axis = 16;
        const gap = 10;
        const strip = (height - axis - gap) / 2;
        const latest = this.samples.at(-1);
        const span = Math.min(this.seconds, Math.max(60, Math.ceil(this.samples.length / 60) * 60));
        const samples = this.samples.slice(-span);
        this.drawStrip(context, {top: 0, height: strip, width, span, samples, key: 'members', color: colors.members,
            colors, label: `members ${latest ? latest.members : '–'}`, bars: false});
        this.drawStrip(context, {top: strip + gap, height: strip, width, span, samples, key: 'deliveries',
            color: colors.deliveries, colors, label: `deliveries/s ${latest ? latest.deliveries : '–'}`, bars: true});
        this.drawAxis(context, height - axis + 12, width, span, colors);
        const average = latest ? this.samples.slice(-60).reduce((sum, s) => sum + s.deliveries, 0) / Math.min(60, this.samples.length) : 0;
        canvas.setAttribute('aria-label', latest
            ? `Now ${latest.members} members; ${average.toFixed(1)} deliveries per second over the last minute`
            : 'No samples yet');
    }

    drawStrip(context, {top, height, width, span, samples, key, color, colors, label, bars}) {
        const values = samples.map(sample => sample[key]);
        const max = niceMax(Math.max(1, ...values));
        const step = width / span;
        const offset = span - values.length;
        const y = value => top + height - (value / max) * (height - 14);

        context.strokeStyle = colors.grid;
        context.lineWidth = 1;
        context.beginPath();
        context.moveTo(0, top + height + 0.5);
        context.lineTo(width, top + height + 0.5);
        context.moveTo(0, Math.round(y(max)) + 0.5);
        context.lineTo(width, Math.round(y(max)) + 0.5);
        context.stroke();

        context.fillStyle = color;
        context.strokeStyle = color;
        if (bars) {
            values.forEach((value, i) => {
                if (value > 0) {
                    context.fillRect((offset + i) * step, y(value), Math.max(1, step - 0.5), top + height - y(value));
                }
            });
        } else if (values.length > 0) {
            context.lineWidth = 2;
            context.beginPath();
            values.forEach((value, i) => {
                const x = (offset + i) * step;
                if (i === 0) {
                    context.moveTo(x, y(value));
                } else {
                    context.lineTo(x, y(values[i - 1]));
                    context.lineTo(x, y(value));
                }
            });
            context.lineTo(width, y(values.at(-1)));
            context.stroke();
            context.globalAlpha = 0.12;
            context.lineTo(width, top + height);
            context.lineTo(offset * step, top + height);
            context.fill();
            context.globalAlpha = 1;
        }

        context.fillStyle = colors.text;
        context.textBaseline = 'top';
        context.textAlign = 'left';
        context.fillText(label, 2, top);
        context.textAlign = 'right';
        context.fillText(`max ${max}`, width - 2, top);
    }

    drawAxis(context, baseline, width, span, colors) {
        context.fillStyle = colors.text;
        context.textBaseline = 'alphabetic';
        const tick = span <= 60 ? 15 : 60;
        for (let ago = span; ago >= 0; ago -= tick) {
            const x = width * (1 - ago / span);
            context.textAlign = ago === span ? 'left' : ago === 0 ? 'right' : 'center';
            context.fillText(ago === 0 ? 'now' : tick < 60 ? `−${ago} s` : `−${ago / 60} min`, x, baseline);
        }
    }
}

function niceMax(value) {
    const magnitude = 10 ** Math.floor(Math.log10(value));
    for (const step of [1, 2, 5, 10]) {
        if (value <= step * magnitude) {
            return step * magnitude;
        }
    }
    return 10 * magnitude;
}
