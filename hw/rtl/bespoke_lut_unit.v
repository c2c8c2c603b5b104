`timescale 1ns / 1ps
// Bespoke LUT unit (SPEC 2.2 / 2.3): a 257-entry base table and a 17-entry dual-range table of INT16,
// written through a load port (per-layer tables arrive by DMA), and LANES lookups per cycle through a
// two-stage pipeline: stage 1 splits the 16-bit code into index and weight and reads the two end
// points; stage 2 interpolates y = ((2^s - w) * lo + w * hi + 2^(s-1)) >>> s.
//
// Planted faults for the validation flow's self-test (never defined in a real build):
//   FAULT_ROUNDING       rounding constant off by one
//   FAULT_SWAPPED_WEIGHTS interpolation weights swapped
//   FAULT_DUAL_BOUNDARY  dual-range region one code too wide
module bespoke_lut_unit #(
    parameter integer LANES = 1
) (
    input  wire                  clk,
    input  wire                  rst_n,
    // table load port
    input  wire                  load_en,
    input  wire                  load_dual,      // 0: base table, 1: dual-range table
    input  wire [8:0]            load_addr,
    input  wire [15:0]           load_data,
    input  wire                  dual_enable,    // the instance has a dual-range table
    // lookups
    input  wire                  in_valid,
    input  wire [LANES*16-1:0]   in_code,
    output reg                   out_valid,
    output reg  [LANES*16-1:0]   out_data
);
  reg [15:0] base_table [0:256];
  reg [15:0] dual_table [0:16];

  always @(posedge clk) begin
    if (load_en) begin
      if (load_dual) dual_table[load_addr[4:0]] <= load_data;
      else base_table[load_addr] <= load_data;
    end
  end

  reg s1_valid;
  always @(posedge clk or negedge rst_n) begin
    if (!rst_n) begin
      s1_valid  <= 1'b0;
      out_valid <= 1'b0;
    end else begin
      s1_valid  <= in_valid;
      out_valid <= s1_valid;
    end
  end

  genvar lane;
  generate
    for (lane = 0; lane < LANES; lane = lane + 1) begin : lanes
      // Stage 1: index, weight and the two end points.
      wire [15:0] u = in_code[lane*16 +: 16];
`ifdef FAULT_DUAL_BOUNDARY
      wire        in_dual = dual_enable && (u <= 16'd256);
`else
      wire        in_dual = dual_enable && (u[15:8] == 8'd0);
`endif
      wire [4:0]  k = {1'b0, u[7:4]};
      wire [8:0]  j = {1'b0, u[15:8]};
      reg  [15:0] s1_lo, s1_hi;
      reg  [8:0]  s1_w;   // weight of hi: 0..255, or 0..15 on the dual-range table
      reg         s1_dual;
      always @(posedge clk) begin
        s1_dual <= in_dual;
        s1_lo   <= in_dual ? dual_table[k] : base_table[j];
        s1_hi   <= in_dual ? dual_table[k + 5'd1] : base_table[j + 9'd1];
        s1_w    <= in_dual ? {5'd0, u[3:0]} : {1'b0, u[7:0]};
      end

      // Stage 2: ((2^s - w) * lo + w * hi + 2^(s-1)) >>> s, s = 8 (base) or 4 (dual).
      wire signed [10:0] w_hi = $signed({2'b00, s1_w});
      wire signed [10:0] w_lo = (s1_dual ? 11'sd16 : 11'sd256) - w_hi;
`ifdef FAULT_SWAPPED_WEIGHTS
      wire signed [27:0] products = w_hi * $signed(s1_lo) + w_lo * $signed(s1_hi);
`else
      wire signed [27:0] products = w_lo * $signed(s1_lo) + w_hi * $signed(s1_hi);
`endif
`ifdef FAULT_ROUNDING
      wire signed [27:0] rounded = products + (s1_dual ? 28'sd9 : 28'sd129);
`else
      wire signed [27:0] rounded = products + (s1_dual ? 28'sd8 : 28'sd128);
`endif
      // Bit slices of a two's-complement value are its arithmetic right shift; the bits above fit
      // by construction (the result lies between lo and hi).
      always @(posedge clk) out_data[lane*16 +: 16] <= s1_dual ? rounded[19:4] : rounded[23:8];
      wire unused_rounded_bits = ^{rounded[27:24], rounded[3:0]};
    end
  endgenerate
endmodule
